module example.com/traffic-dump

go 1.17
