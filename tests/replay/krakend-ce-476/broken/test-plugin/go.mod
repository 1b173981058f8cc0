module example.com/test-plugin

go 1.17
