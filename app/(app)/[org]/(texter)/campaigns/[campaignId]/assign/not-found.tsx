import { TexterNotFound } from "@/components/campaigns/texter-not-found";

export default TexterNotFound;
