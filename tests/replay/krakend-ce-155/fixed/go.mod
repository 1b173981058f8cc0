module example.com/krakend-example

go 1.13
