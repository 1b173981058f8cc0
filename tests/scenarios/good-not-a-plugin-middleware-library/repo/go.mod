module example.com/krakend-ratelimit-mw

go 1.22
