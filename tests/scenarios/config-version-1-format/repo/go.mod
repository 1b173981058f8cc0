module example.com/config-version-1-format

go 1.22
