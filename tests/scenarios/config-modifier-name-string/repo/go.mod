module example.com/config-modifier-name-string

go 1.22
