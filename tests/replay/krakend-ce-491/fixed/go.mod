module example.com/krakend-debugger

go 1.17
