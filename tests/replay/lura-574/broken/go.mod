module example.com/status-logger

go 1.17
