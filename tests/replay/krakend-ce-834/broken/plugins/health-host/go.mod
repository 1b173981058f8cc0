module krakend-server

go 1.20
