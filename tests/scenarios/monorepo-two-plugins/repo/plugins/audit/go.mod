module example.com/krakend-audit

go 1.22
