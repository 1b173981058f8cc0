module example.com/config-no-plugin-section

go 1.22
