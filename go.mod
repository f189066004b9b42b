module github.com/monzokit/monzo

go 1.26.8

require golang.org/x/text v0.44.0

require (
	github.com/gofrs/flock v0.13.2 // indirect
	golang.org/x/oauth2 v0.38.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
)
