module example.com/krakend-body-rewriter

go 1.22.5

require (
	github.com/luraproject/lura/v2 v2.6.0
	golang.org/x/text v0.3.7
)
