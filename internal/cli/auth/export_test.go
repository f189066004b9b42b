package auth

// ListenError is listenError, for tests of errors a test cannot cause
// (a root test process may listen on port 80).
var ListenError = listenError
