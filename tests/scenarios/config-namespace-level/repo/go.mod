module example.com/config-namespace-level

go 1.22
