module example.com/krakend-header-stamp

go 1.22
