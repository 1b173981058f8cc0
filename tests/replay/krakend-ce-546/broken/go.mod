module example.com/krakend-server-example

go 1.17
