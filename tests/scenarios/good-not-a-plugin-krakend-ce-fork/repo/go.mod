module github.com/krakend/krakend-ce/v2

go 1.22

require github.com/luraproject/lura/v2 v2.6.2
