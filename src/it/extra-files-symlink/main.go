package main

import (
	"fmt"
	"os"
)

// Reads the configuration through the symlink the extra files put in the image, and a file
// copied from the builder stage.
func main() {
	for _, path := range []string{"/etc/app/current", "/etc/app/absolute", "/etc/builder-release", "/opt/apk/repositories"} {
		data, err := os.ReadFile(path)
		if err != nil {
			fmt.Printf("%s: %v\n", path, err)
			os.Exit(1)
		}
		fmt.Printf("%s: %d bytes: %s\n", path, len(data), firstLine(string(data)))
	}
}

func firstLine(s string) string {
	for i, c := range s {
		if c == '\n' {
			return s[:i]
		}
	}
	return s
}
