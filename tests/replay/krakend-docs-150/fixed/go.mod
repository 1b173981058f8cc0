module example.com/pipe-debugger

go 1.17
