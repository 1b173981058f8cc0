module example.com/response-collector

go 1.17
