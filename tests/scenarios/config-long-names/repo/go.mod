module example.com/config-long-names

go 1.22
