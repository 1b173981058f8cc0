module example.com/require-header

go 1.15
