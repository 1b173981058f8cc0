module example.com/krakend-client-example

go 1.17
