module example.com/atomic-counter

go 1.13
