module example.com/config-long-name-misspelt

go 1.22
