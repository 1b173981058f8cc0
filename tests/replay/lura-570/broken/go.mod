module example.com/header-echo

go 1.17

require github.com/luraproject/lura/v2 v2.0.1

require (
	github.com/devopsfaith/flatmap v0.0.0-20200601181759-8521186182fc // indirect
	github.com/valyala/fastrand v1.1.0 // indirect
)
