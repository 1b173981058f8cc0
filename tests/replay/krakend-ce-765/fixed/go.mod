module example.com/api-keys

go 1.20
