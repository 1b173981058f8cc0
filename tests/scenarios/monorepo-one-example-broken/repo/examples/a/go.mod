module example.com/hello-a

go 1.22
