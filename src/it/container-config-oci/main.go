package main

import (
	"fmt"
	"os"
	"strings"
	"time"
)

// Prints what the runtime gave it, and a time in a named zone from the zoneinfo the image carries.
func main() {
	cwd, _ := os.Getwd()
	fmt.Printf("args=%s\n", strings.Join(os.Args, "|"))
	fmt.Printf("MODE=%s\n", os.Getenv("MODE"))
	fmt.Printf("uid=%d gid=%d\n", os.Getuid(), os.Getgid())
	fmt.Printf("cwd=%s\n", cwd)
	madrid, err := time.LoadLocation("Europe/Madrid")
	if err != nil {
		fmt.Println("zone:", err)
		os.Exit(1)
	}
	summer := time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC).In(madrid)
	fmt.Printf("madrid=%s\n", summer.Format("15:04 MST"))
}
