module example.com/error-wrapper

go 1.20

require golang.org/x/xerrors v0.0.0-20220907171357-04be3eba64a2
