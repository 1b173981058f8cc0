module example.com/traced-plugin

go 1.22

require (
	go.opentelemetry.io/otel v1.29.0
)
