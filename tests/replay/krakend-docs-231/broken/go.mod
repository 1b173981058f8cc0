module example.com/geo-header

go 1.22
