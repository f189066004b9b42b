package webhook_test

import (
	"bytes"
	"errors"
	"io"

	"github.com/monzokit/monzo"
)

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

func asAPIError(err error, target **monzo.Error) bool { return errors.As(err, target) }
