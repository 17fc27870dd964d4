//go:build tools

// Package tools pins the Pulumi CLI as a dependency of this wrapper module so that it can be built
// from the Go module proxy (docs/engine.md, "Building the CLI").
package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
