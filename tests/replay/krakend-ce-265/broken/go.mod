module example.com/krakend-plugins

go 1.14

require (
	github.com/go-sql-driver/mysql v1.5.0
	github.com/jmoiron/sqlx v1.2.0
)
