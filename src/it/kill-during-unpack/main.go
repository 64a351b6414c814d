package main

import "fmt"

func main() {
	fmt.Println("hello from a cache that survived a kill")
}
