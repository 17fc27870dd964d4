//go:build tools

// Package tools pins the Pulumi YAML language host as a dependency of this wrapper module so that
// it can be built from the Go module proxy, apart from the CLI's module so that neither moves the
// other's dependencies (docs/engine.md, "Building the CLI").
package tools

import (
	_ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
)
