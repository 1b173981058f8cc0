module example.com/config-wrong-namespace-type

go 1.22
