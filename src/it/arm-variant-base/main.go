package main

import (
	"fmt"
	"os"
	"runtime"
)

// Prints which variant of the base it runs on (the base's /etc/variant) and what it was built for.
func main() {
	variant, err := os.ReadFile("/etc/variant")
	if err != nil {
		fmt.Println("no /etc/variant:", err)
		os.Exit(1)
	}
	fmt.Printf("base=%s built=%s/%s\n", string(variant[:len(variant)-1]), runtime.GOOS, runtime.GOARCH)
}
