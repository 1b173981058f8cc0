module example.com/wildcard

go 1.20
