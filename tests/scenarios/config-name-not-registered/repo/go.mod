module example.com/config-name-not-registered

go 1.22
