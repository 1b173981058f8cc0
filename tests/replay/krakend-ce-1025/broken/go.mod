module example.com/freeday-cors

go 1.24
