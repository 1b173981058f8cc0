module example.com/modifier-plugin

go 1.17
