module github.com/monzokit/monzo

go 1.26.8

require (
	github.com/gofrs/flock v0.13.2
	golang.org/x/oauth2 v0.38.0
	golang.org/x/text v0.44.0
)

require golang.org/x/sys v0.49.0 // indirect
