module example.com/edge-guards

go 1.19
