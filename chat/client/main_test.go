package client_test

import (
	"testing"

	"go.uber.org/goleak"
)

// Every test stops what it started: clients at Close, servers at cleanup.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
