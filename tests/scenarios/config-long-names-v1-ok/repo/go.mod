module example.com/config-long-names-v1-ok

go 1.22
