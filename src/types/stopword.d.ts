// The `stopword` package ships no types; loupe uses only its French list.
declare module "stopword" {
  export const fra: string[];
}
