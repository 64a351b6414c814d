//go:build msbuild

package main

import (
	"fmt"
	"os"
	"strings"
)

// Prints what the container runtime gave the process; built only with -tags=msbuild, so the
// scenario also proves that <flags> reach go build.
func main() {
	cwd, _ := os.Getwd()
	fmt.Printf("args=%s\n", strings.Join(os.Args[1:], "|"))
	fmt.Printf("GREETING=%s\n", os.Getenv("GREETING"))
	fmt.Printf("PATH=%s\n", os.Getenv("PATH"))
	fmt.Printf("uid=%d gid=%d\n", os.Getuid(), os.Getgid())
	fmt.Printf("cwd=%s\n", cwd)
}
