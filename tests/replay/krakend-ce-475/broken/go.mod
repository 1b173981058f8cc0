module example.com/modifier-plugin

go 1.17

require (
	github.com/luraproject/lura/v2 v2.0.2
)
