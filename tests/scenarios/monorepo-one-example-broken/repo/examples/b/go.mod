module example.com/hello-b

go 1.22
