module example.com/config-name-unused

go 1.22
