module example.com/config-pattern-misses-build

go 1.22
