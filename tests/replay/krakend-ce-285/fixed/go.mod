module example.com/client-plugin

go 1.15
