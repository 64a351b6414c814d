package main

import "fmt"

func main() {
	fmt.Println("recovered: the build after a failed one worked")
}
